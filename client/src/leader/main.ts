/** Team leader page entry: sign in with the team's code, file and follow the team's appeals. */
import { mount } from 'svelte';
import '../lib/base.css';
import LeaderRoot from './LeaderRoot.svelte';

mount(LeaderRoot, { target: document.getElementById('app') ?? document.body });
