/** Big-screen entry: the live ranking of one event round for a hall display. */
import { mount } from 'svelte';
import '../lib/base.css';
import './display.css';
import { applyScreenDisplay, readScreenDisplay } from './display.svelte.ts';
import Screen from './Screen.svelte';

// The address's text size before the first paint; Screen re-applies pushed settings as they come.
applyScreenDisplay(readScreenDisplay());
mount(Screen, { target: document.getElementById('app') ?? document.body });
