/** Big-screen entry: the live ranking of one event round for a hall display. */
import { mount } from 'svelte';
import '../lib/base.css';
import Screen from './Screen.svelte';

mount(Screen, { target: document.getElementById('app') ?? document.body });
