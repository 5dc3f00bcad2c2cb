/** Stream overlay entry: a transparent page for OBS browser sources. */
import { mount } from 'svelte';
import '../lib/base.css';
import Overlay from './Overlay.svelte';

mount(Overlay, { target: document.getElementById('app') ?? document.body });
