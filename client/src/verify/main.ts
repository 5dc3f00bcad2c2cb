/** Certificate check entry: the public page a certificate's QR code opens. */
import { mount } from 'svelte';
import '../lib/base.css';
import Verify from './Verify.svelte';

mount(Verify, { target: document.getElementById('app') ?? document.body });
