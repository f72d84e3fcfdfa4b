package io.assistantstream.demo.control;

/** One canned answer of the demo service: the change it makes (a workflow, code, or neither) and its markdown. */
public record DemoAnswer(String statusBefore, String statusAfter, String yaml, String code, String markdown) {
}
