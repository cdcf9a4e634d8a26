/**
 * Evaluation: datasets, experiments, scorers (deterministic, embedding, LLM-as-judge, RAG and
 * tool-call metrics) and the CI gate. The types in this package are the contract between them.
 */
package dev.keel.eval;
