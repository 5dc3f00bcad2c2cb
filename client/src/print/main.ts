/** Print pages entry: score sheets, results notice, certificates (A4, `@media print`). */
import { mount } from 'svelte';
import '../lib/base.css';
import './print.css';
import PrintRoot from './PrintRoot.svelte';

document.body.classList.add('paper');
mount(PrintRoot, { target: document.getElementById('app') ?? document.body });
