/** Big-screen entry: the live ranking of one event round for a hall display. */
import { mount } from 'svelte';
import '../lib/base.css';
import './display.css';
import { applyScreenDisplay, readScreenDisplay } from './display.svelte.ts';
import Legend from './Legend.svelte';
import Screen from './Screen.svelte';

const display = readScreenDisplay();
applyScreenDisplay(display);
mount(Screen, { target: document.getElementById('app') ?? document.body });
if (display.legend) {
  const corner = document.createElement('div');
  document.body.append(corner);
  mount(Legend, { target: corner });
}
