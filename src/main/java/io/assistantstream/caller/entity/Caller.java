package io.assistantstream.caller.entity;

/**
 * Who is asking: the subject of a verified JWT, or in open mode the client's address. Its {@code id} owns the
 * sessions it creates and keys its quotas.
 */
public record Caller(String id) {

    private static final String ADDRESS = "address:";

    public static Caller subject(String subject) {
        return new Caller(subject);
    }

    public static Caller address(String clientAddress) {
        return new Caller(ADDRESS + clientAddress);
    }
}
