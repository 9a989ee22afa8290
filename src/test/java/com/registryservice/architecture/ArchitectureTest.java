package com.registryservice.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The structure the README's code map describes, enforced: features do not form package cycles, resources never
 * reach repositories, and every table is written by the one feature that owns it (other features may read it).
 */
class ArchitectureTest {

    private static final String BASE = "com.registryservice";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(BASE);

    /** Which feature (top-level package) owns each table; the README's code map lists the same. */
    static final Map<String, String> OWNERS = Map.ofEntries(
            Map.entry("registry", "registry"), Map.entry("idempotency_key", "registry"),
            Map.entry("gc_run", "gc"), Map.entry("gc_schedule", "gc"), Map.entry("storage_usage", "gc"),
            Map.entry("repository", "content"), Map.entry("manifest", "content"), Map.entry("tag", "content"),
            Map.entry("blob", "content"), Map.entry("manifest_blob", "content"), Map.entry("repository_blob", "content"),
            Map.entry("manifest_child", "content"), Map.entry("upload", "content"),
            Map.entry("storage_deletion", "content"), Map.entry("token", "token"),
            Map.entry("event", "events"), Map.entry("service_secret", "api"));

    @Test
    void featuresFormNoPackageCycles() {
        slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theRolesOfAFeatureFormNoCycles() {
        slices().matching(BASE + ".(**)").should().beFreeOfCycles().check(CLASSES);
    }

    /**
     * Context propagation is off (README, code map): after {@code runSubscriptionOn} the rest of a chain runs on a
     * worker thread without the request's scope. Work moved off the event loop answers on the caller's Vert.x context
     * instead; only {@code TokenPasswords} uses it, and only when it is called without a context.
     */
    @Test
    void noChainLeavesItsVertxContextForAWorkerPool() {
        noClasses().that().doNotHaveSimpleName("TokenPasswords").should()
                .callMethodWhere(JavaCall.Predicates.target(DescribedPredicate.describe("runSubscriptionOn",
                        target -> target.getName().equals("runSubscriptionOn"))))
                .check(CLASSES);
    }

    /**
     * Scheduled work runs as a {@code Job} (README, code map): one round at a time, on a fresh context, and a failed
     * round (the database down) is one WARN line that the next round retries, never the scheduler's ERROR with a stack
     * trace every tick. The pull counter's flush is the exception: it recovers its own failure, putting the counts
     * back for the next flush.
     */
    @Test
    void scheduledWorkRunsAsAJob() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods().that()
                .areAnnotatedWith(io.quarkus.scheduler.Scheduled.class).and().areDeclaredInClassesThat()
                .doNotHaveFullyQualifiedName(com.registryservice.content.service.PullCounter.class.getName())
                .should(new com.tngtech.archunit.lang.ArchCondition<com.tngtech.archunit.core.domain.JavaMethod>(
                        "call Job.run()") {
                    @Override
                    public void check(com.tngtech.archunit.core.domain.JavaMethod method,
                            com.tngtech.archunit.lang.ConditionEvents events) {
                        if (method.getMethodCallsFromSelf().stream().noneMatch(call -> call.getName().equals("run")
                                && call.getTargetOwner().isEquivalentTo(com.registryservice.jobs.Job.class))) {
                            events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(method,
                                    method.getFullName() + " does not run its work as a Job"));
                        }
                    }
                })
                .check(CLASSES);
    }

    @Test
    void resourcesNeverReachRepositories() {
        noClasses().that().resideInAPackage("..rest..").should().dependOnClassesThat()
                .resideInAPackage("..repository..").check(CLASSES);
    }

    @Test
    void everyTableOfTheMigrationsHasAnOwner() throws IOException {
        Set<String> created = new TreeSet<>();
        Pattern create = Pattern.compile("(?i)create\\s+table\\s+(?:if\\s+not\\s+exists\\s+)?([a-z_]+)");
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            files.forEach(file -> {
                Matcher m = create.matcher(read(file));
                while (m.find()) {
                    created.add(m.group(1).toLowerCase(Locale.ROOT));
                }
            });
        }
        assertEquals(new TreeSet<>(OWNERS.keySet()), created, "tables without an owner, or owners of no table");
    }

    @Test
    void entitiesLiveInTheFeatureThatOwnsTheirTable() {
        for (JavaClass entity : CLASSES) {
            if (!entity.isAnnotatedWith(Entity.class)) {
                continue;
            }
            String table = entity.getAnnotationOfType(Table.class).name();
            assertEquals(OWNERS.get(table), feature(entity.getPackageName()), entity.getName() + " maps " + table);
        }
    }

    @Test
    void onlyTheOwnerOfATableWritesItInSql() throws IOException {
        // insert into X, delete from X, update X [alias] set: every way the code writes a table in SQL
        Pattern write = Pattern.compile(
                "(?i)\\b(?:insert\\s+into|delete\\s+from)\\s+([a-z_]+)|\\bupdate\\s+([a-z_]+)(?:\\s+[a-z_]+)?\\s+set\\b");
        List<String> violations = new ArrayList<>();
        int writes = 0;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/com/registryservice"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String feature = file.getName(5).toString();
                // joined as the compiler joins "…" + "…": statements span several literals
                Matcher m = write.matcher(read(file).replaceAll("\"\\s*\\+\\s*\"", ""));
                while (m.find()) {
                    String table = (m.group(1) != null ? m.group(1) : m.group(2)).toLowerCase(Locale.ROOT);
                    writes++;
                    if (!feature.equals(OWNERS.get(table))) {
                        violations.add(file + " writes " + table + " (owned by " + OWNERS.get(table) + ")");
                    }
                }
            }
        }
        assertTrue(writes > 10, "the scan found the code's writes: " + writes);
        assertEquals(List.of(), violations);
    }

    private static String feature(String packageName) {
        String rest = packageName.substring(BASE.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
