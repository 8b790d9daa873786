/** `enable|disable <what>`: no further arguments. */
export { noArguments } from '../no-arguments.js';
