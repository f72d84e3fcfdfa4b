package io.assistantstream.platform;

/** Bounds on what a client may send ({@code api.*}). */
public record ApiSettings(int maxBodyBytes, int maxMessageChars) {
}
