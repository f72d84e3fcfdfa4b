package io.assistantstream.session.entity;

/** A session opened by a token, and the role that token gives. */
public record SessionGrant(ChatSession session, SessionRole role) {
}
