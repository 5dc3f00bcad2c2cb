/** Spectator entry: live rankings on a phone. */
import { mount } from 'svelte';
import '../lib/base.css';
import Watch from './Watch.svelte';

mount(Watch, { target: document.getElementById('app') ?? document.body });
