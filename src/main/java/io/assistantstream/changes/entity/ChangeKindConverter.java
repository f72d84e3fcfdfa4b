package io.assistantstream.changes.entity;

import jakarta.persistence.Converter;

/** {@link ChangeKind} in {@code session_change.kind}. */
@Converter(autoApply = true)
public class ChangeKindConverter extends WireNameConverter<ChangeKind> {

    public ChangeKindConverter() {
        super(ChangeKind.class);
    }
}
