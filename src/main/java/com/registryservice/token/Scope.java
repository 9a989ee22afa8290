package com.registryservice.token;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a token may do: {@code actions} (pull, push, delete) on the repositories whose names match {@code name}, where
 * {@code *} stands for any run of characters, '/' included ({@code team/*} matches {@code team/app} and
 * {@code team/a/b}; {@code *} matches every repository).
 */
public record Scope(String name, String type, List<String> actions) {

    public static final String REPOSITORY = "repository";
    public static final List<String> ACTIONS = List.of("pull", "push", "delete");

    /** Whether this scope grants {@code action} on {@code repository}. */
    public boolean allows(String repository, String action) {
        return REPOSITORY.equals(type) && actions.contains(action) && pattern().matcher(repository).matches();
    }

    private Pattern pattern() {
        return Pattern.compile(java.util.Arrays.stream(name.split("\\*", -1)).map(Pattern::quote)
                .collect(java.util.stream.Collectors.joining(".*")));
    }
}
