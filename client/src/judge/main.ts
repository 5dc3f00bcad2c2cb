/** Judge tablet app entry. */
import { mount } from 'svelte';
import '../lib/base.css';
import JudgeRoot from './JudgeRoot.svelte';
import { registerOfflineShell } from './offlineShell.ts';

mount(JudgeRoot, { target: document.getElementById('app') ?? document.body });
registerOfflineShell();
