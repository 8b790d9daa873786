/**
 * @module cli/prompt
 * The questions the CLI asks (scaffolder and generators), behind one interface so tests drive
 * them without a terminal. The real one is @clack/prompts, loaded only when a question is asked.
 */
export const CANCEL = Symbol('cancel');
export type Answer<T> = T | typeof CANCEL;

export interface Prompter {
  text(message: string, initial: string): Promise<Answer<string>>;
  select(message: string, options: { value: string; label: string }[], initial: string): Promise<Answer<string>>;
  confirm(message: string, initial: boolean): Promise<Answer<boolean>>;
  multiselect(message: string, options: { value: string; label: string }[]): Promise<Answer<string[]>>;
}

export async function clackPrompter(): Promise<Prompter> {
  const p = await import('@clack/prompts');
  const wrap = <T>(value: unknown): Answer<T> => (p.isCancel(value) ? CANCEL : (value as T));
  return {
    text: async (message, initial) =>
      wrap<string>(await p.text({ message, placeholder: initial, defaultValue: initial })),
    select: async (message, options, initial) =>
      wrap<string>(await p.select({ message, options, initialValue: initial })),
    confirm: async (message, initial) => wrap<boolean>(await p.confirm({ message, initialValue: initial })),
    multiselect: async (message, options) => wrap<string[]>(await p.multiselect({ message, options, required: false })),
  };
}
