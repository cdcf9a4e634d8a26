package dev.keel.prompts;

/**
 * The difference between two versions of a prompt.
 *
 * @param name the prompt
 * @param from the older side
 * @param to the newer side
 * @param changed whether type, template or config differ
 * @param unified a unified diff (3 lines of context) of type, config and template; empty when
 *     nothing changed
 */
public record PromptDiff(String name, int from, int to, boolean changed, String unified) {}
