/** Reveal-ceremony entry: the presenter's page that steps a frozen round's reveal, ICPC-resolver style. */
import { mount } from 'svelte';
import '../lib/base.css';
import Ceremony from './Ceremony.svelte';

mount(Ceremony, { target: document.getElementById('app') ?? document.body });
