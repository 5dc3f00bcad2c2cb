/** Organiser console entry. */
import { mount } from 'svelte';
import '../lib/base.css';
import './admin.css';
import AdminRoot from './AdminRoot.svelte';

mount(AdminRoot, { target: document.getElementById('app') ?? document.body });
