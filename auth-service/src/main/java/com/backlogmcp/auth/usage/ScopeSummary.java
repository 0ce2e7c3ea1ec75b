package com.backlogmcp.auth.usage;

import com.backlogmcp.contracts.vocabulary.Scope;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A grant's or key's scopes in one phrase — "Full access", "Read only", or "6 of 14 permissions" — with the plain-English
 * line of each scope for the details a user opens on demand.
 */
public record ScopeSummary(String headline, String kind, List<Detail> details) {

    /** One granted scope: its value, its description and whether it writes. */
    public record Detail(String scope, String label, boolean write) {
    }

    public static ScopeSummary of(Collection<String> granted) {
        Set<String> set = new TreeSet<>(granted);
        List<Scope> all = List.of(Scope.values());
        List<Detail> details = all.stream().filter(s -> set.contains(s.value()))
                .map(s -> new Detail(s.value(), s.description(), s.isWrite())).toList();
        long reads = all.stream().filter(s -> !s.isWrite()).count();
        boolean anyWrite = details.stream().anyMatch(Detail::write);
        if (details.size() == all.size()) {
            return new ScopeSummary("Full access", "full", details);
        }
        if (!anyWrite && details.size() == reads) {
            return new ScopeSummary("Read only", "read", details);
        }
        String headline = details.size() + " of " + all.size() + " permissions" + (anyWrite ? "" : ", read only");
        return new ScopeSummary(headline, anyWrite ? "partial" : "read", details);
    }
}
