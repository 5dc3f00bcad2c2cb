/** Judge tablet app entry. */
import { mount } from 'svelte';
import '../lib/base.css';
import { requestPersistentStorage } from './durability.ts';
import JudgeRoot from './JudgeRoot.svelte';
import { registerOfflineShell } from './offlineShell.svelte.ts';

mount(JudgeRoot, { target: document.getElementById('app') ?? document.body });
registerOfflineShell();
requestPersistentStorage();
