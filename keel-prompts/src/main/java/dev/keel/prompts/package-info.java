/** Versioned, labelled prompts: the registry, templates and their files in Git. */
package dev.keel.prompts;
