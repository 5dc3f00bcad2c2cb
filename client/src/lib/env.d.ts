// Ambient types for the clients: Svelte runes and `*.svelte` modules, Vite's import.meta.env.
/// <reference types="svelte" />
/// <reference types="vite/client" />
