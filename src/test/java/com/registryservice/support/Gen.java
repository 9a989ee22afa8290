package com.registryservice.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Seeded generators for property-based tests, on plain JUnit. {@link #check} runs a property over many generated
 * cases, each from its own seed; a failure names the seed, and {@code GEN_SEED=<seed> GEN_TRIES=1} replays exactly
 * that case. The base seed is fixed, so a run is deterministic; {@code GEN_SEED} and {@code GEN_TRIES} vary it.
 */
public final class Gen {

    private static final long BASE_SEED = Long.parseLong(System.getenv().getOrDefault("GEN_SEED", "20261127"));

    private final Random random;

    private Gen(long seed) {
        this.random = new Random(seed);
    }

    /**
     * Runs {@code property} over {@code tries} cases (or {@code GEN_TRIES}), each with a generator of its own seed.
     *
     * @throws AssertionError the first failing case's, with the seed that replays it
     */
    public static void check(String name, int tries, Consumer<Gen> property) {
        int count = Integer.parseInt(System.getenv().getOrDefault("GEN_TRIES", String.valueOf(tries)));
        for (int i = 0; i < count; i++) {
            long seed = BASE_SEED + i;
            try {
                property.accept(new Gen(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(name + " failed for seed " + seed + " (replay with GEN_SEED=" + seed
                        + " GEN_TRIES=1): " + e.getMessage(), e);
            }
        }
    }

    /** A whole number from {@code min} to {@code max}, both included. */
    public int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    /** A whole number from {@code min} to {@code max}, both included. */
    public long between(long min, long max) {
        return min + (long) (random.nextDouble() * (max - min + 1));
    }

    /** True with probability {@code p}. */
    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    @SafeVarargs
    public final <T> T oneOf(T... values) {
        return values[random.nextInt(values.length)];
    }

    public <T> T oneOf(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** The value of one of the generators, chosen evenly. */
    @SafeVarargs
    public final <T> T anyOf(Supplier<? extends T>... generators) {
        return generators[random.nextInt(generators.length)].get();
    }

    /** A list of up to {@code max} elements. */
    public <T> List<T> listOf(int max, Supplier<T> element) {
        int size = between(0, max);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.get());
        }
        return list;
    }

    /** Up to {@code maxLength} characters drawn from {@code alphabet}. */
    public String string(String alphabet, int maxLength) {
        int length = between(0, maxLength);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /**
     * Up to {@code maxLength} arbitrary UTF-16 code units: any character, control characters, unpaired surrogates
     * and characters outside the Basic Multilingual Plane's halves included.
     */
    public String anyString(int maxLength) {
        int length = between(0, maxLength);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(chance(0.7) ? (char) between(0, 0x7f) : (char) between(0, 0xffff));
        }
        return text.toString();
    }

    /** Up to {@code maxLength} characters from {@code min} to {@code max}. */
    public String string(char min, char max, int maxLength) {
        int length = between(0, maxLength);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) between(min, max));
        }
        return text.toString();
    }

    public int anyInt() {
        return chance(0.3) ? oneOf(0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE) : random.nextInt();
    }

    public long anyLong() {
        return chance(0.3) ? oneOf(0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE) : random.nextLong();
    }

    public double anyDouble() {
        return chance(0.3) ? oneOf(0.0, -0.0, 1e308, -1e308, Double.MIN_VALUE) : random.nextGaussian() * 1e6;
    }
}
