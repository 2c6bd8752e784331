// Every language feature the server offers (diagnostics are handled by main.ts itself).
import { Feature } from './feature';
import { outline } from './outline';

export const FEATURES: readonly Feature[] = [outline];
