import { ensureDevVars } from './dev-vars';

ensureDevVars();
