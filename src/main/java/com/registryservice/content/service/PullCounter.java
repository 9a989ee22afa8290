package com.registryservice.content.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.registryservice.content.repository.DistributionRepository;
import com.registryservice.content.repository.DistributionRepository.Pulls;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Counts manifest pulls in memory and adds them to the database in one statement every
 * {@code registry.oci.pull-count-interval}: a pull is a read, and a write transaction per pull would halve the
 * requests per second an instance serves. The price: pulls of the last interval are lost if the instance dies
 * (a graceful shutdown writes them).
 */
@ApplicationScoped
public class PullCounter {

    private record Key(UUID registry, String repository, String digest) {
    }

    /** Pulls since the last flush, and the time of the latest. */
    private record Count(long count, Instant last) {
        Count plus(Count other) {
            return new Count(count + other.count, last.isAfter(other.last) ? last : other.last);
        }
    }

    private final DistributionRepository metadata;
    private final Map<Key, Count> pending = new ConcurrentHashMap<>();

    public PullCounter(DistributionRepository metadata) {
        this.metadata = metadata;
    }

    /** Counts one pull of the manifest. */
    public void pulled(UUID registry, String repository, String digest) {
        pending.merge(new Key(registry, repository, digest), new Count(1, Instant.now()), Count::plus);
    }

    @Scheduled(identity = "pull-counts", every = "${registry.oci.pull-count-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> flush() {
        List<Pulls> pulls = new ArrayList<>();
        for (Key key : List.copyOf(pending.keySet())) {
            Count count = pending.remove(key);
            if (count != null) {
                pulls.add(new Pulls(key.registry(), key.repository(), key.digest(), count.count(), count.last()));
            }
        }
        return metadata.countPulls(pulls).onFailure().recoverWithUni(failure -> {
            // put them back: the next flush tries again
            pulls.forEach(p -> pending.merge(new Key(p.registry(), p.repository(), p.digest()),
                    new Count(p.count(), p.last()), Count::plus));
            Log.warnf("Could not write %d pull counts (retried): %s", pulls.size(), failure.getMessage());
            return Uni.createFrom().voidItem();
        });
    }

    /** Writes the pulls still counted here before the instance stops (main thread: it may wait a little). */
    void onShutdown(@Observes ShutdownEvent event) {
        try {
            flush().subscribeAsCompletionStage().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            Log.warnf("Could not write the last pull counts at shutdown: %s", e.getMessage());
        }
    }
}
