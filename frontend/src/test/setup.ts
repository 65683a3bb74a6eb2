import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// findBy*/waitFor wait on a condition; on a loaded 2-core machine the first render of a page in a test file (its
// modules loaded and compiled) has taken 13 s. Waiting longer costs nothing when the condition holds sooner.
configure({ asyncUtilTimeout: 45_000 });

// jsdom lacks a few browser APIs that Mantine uses.
window.matchMedia = (query: string) =>
  ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }) as MediaQueryList;

window.ResizeObserver = class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

window.HTMLElement.prototype.scrollIntoView = () => {};

afterEach(() => cleanup());
