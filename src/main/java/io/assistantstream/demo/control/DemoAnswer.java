package io.assistantstream.demo.control;

/** One canned answer of the demo service: the change it makes and the markdown that explains it. */
public record DemoAnswer(String statusBefore, String statusAfter, String yaml, String code, String markdown) {
}
