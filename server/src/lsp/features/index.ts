// Every language feature the server offers (diagnostics are handled by main.ts itself).
import { Feature } from './feature';
import { outline } from './outline';
import { hover } from './hover';
import { completion } from './completion';
import { status } from './status';
import { navigation } from './navigation';
import { structure } from './structure';
import { inlay } from './inlay';
import { codeLens } from './codelens';
import { formatting } from './format';
import { codeActions } from './code-actions';

export const FEATURES: readonly Feature[] = [outline, hover, completion, status, navigation, structure, inlay, codeLens, formatting, codeActions];
