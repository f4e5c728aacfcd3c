// Vite's client types, so the entry may import its stylesheet.
/// <reference types="vite/client" />
