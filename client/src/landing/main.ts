/** Landing page entry: the list of live competitions. */
import { mount } from 'svelte';
import '../lib/base.css';
import Landing from './Landing.svelte';

mount(Landing, { target: document.getElementById('app') ?? document.body });
