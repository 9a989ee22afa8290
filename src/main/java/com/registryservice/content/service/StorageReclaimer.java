package com.registryservice.content.service;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.content.Digest;
import com.registryservice.content.repository.StorageDeletions;
import com.registryservice.content.repository.StorageDeletions.Kind;
import com.registryservice.content.repository.StorageDeletions.Queued;
import com.registryservice.jobs.Job;
import com.registryservice.jobs.Jobs;
import com.registryservice.storage.BlobStore;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Removes from the blob store the bytes whose metadata is gone (blobs swept by GC or deleted through the API,
 * abandoned uploads, deleted registries), as queued in {@link StorageDeletions}. GC drains after each step, so a
 * run's bytes are gone when it ends; a blob or registry delete kicks a round; and a round every
 * {@code registry.storage.reclaim-interval} finishes what a crash left queued.
 */
@ApplicationScoped
public class StorageReclaimer {

    private static final int BATCH = 100;
    private static final long RETRY_AFTER_SECONDS = 300;

    private final StorageDeletions queue;
    private final BlobStore store;
    private final UploadHashes hashes;
    private final Job job;

    public StorageReclaimer(StorageDeletions queue, BlobStore store, UploadHashes hashes, Jobs jobs) {
        this.queue = queue;
        this.store = store;
        this.hashes = hashes;
        this.job = jobs.create("Storage reclamation", true, this::drain);
    }

    @Scheduled(identity = "storage-reclamation", every = "${registry.storage.reclaim-interval:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return job.run();
    }

    /** Removes queued bytes soon, without delaying the caller. */
    public void kick() {
        job.kick();
    }

    /** Queues the removal of all of a registry's bytes, in the transaction that deletes the registry. */
    public Uni<Void> registryDeleted(UUID registry) {
        return queue.queueRegistry(registry);
    }

    /**
     * Removes everything queued (by this instance or any other), batch after batch.
     *
     * @return the bytes removed
     */
    public Uni<Long> drain() {
        return queue.drain(BATCH, RETRY_AFTER_SECONDS, this::delete).flatMap(drained -> {
            long bytes = drained.deleted().stream().mapToLong(Queued::size).sum();
            return drained.held() < BATCH ? Uni.createFrom().item(bytes) : drain().map(more -> bytes + more);
        });
    }

    /**
     * Removes a batch's bytes: the blobs in one call (an object store deletes a thousand with one request), each
     * upload and registry on its own; answers, for each item, whether its bytes are gone (a failure is retried later).
     */
    private Uni<List<Boolean>> delete(List<Queued> batch) {
        List<String> blobs = new ArrayList<>();
        for (Queued queued : batch) {
            if (queued.kind() == Kind.BLOB) {
                String key = blobKey(queued);
                if (key != null) {
                    blobs.add(key);
                }
            }
        }
        Uni<Boolean> blobsGone = store.delete(blobs).replaceWith(true).onFailure().recoverWithItem(failure -> {
            Log.warnf("Could not delete %d blobs (retried in %d s): %s", blobs.size(), RETRY_AFTER_SECONDS,
                    failure.getMessage());
            return false;
        });
        return blobsGone.flatMap(blobsDone -> Multi.createFrom().iterable(batch)
                .onItem().transformToUni(queued -> queued.kind() == Kind.BLOB ? Uni.createFrom().item(blobsDone)
                        : deleteOne(queued))
                .concatenate().collect().asList());
    }

    /** The store's key of a queued blob; null (nothing to delete) for a name the store could never hold. */
    private static String blobKey(Queued queued) {
        try {
            return Digest.parse(queued.item()).storageKey(queued.registry());
        } catch (RuntimeException e) {
            // only rows written by hand hold such names
            Log.debugf("Dropping a queued deletion the store cannot hold: %s (%s)", queued.item(), e.getMessage());
            return null;
        }
    }

    /** Removes one upload's or registry's bytes; false (it is retried later) when the store failed. */
    private Uni<Boolean> deleteOne(Queued queued) {
        Log.debugf("Reclaiming %s %s of registry %s", queued.kind(), queued.item(), queued.registry());
        Uni<Void> deletion;
        if (queued.kind() == Kind.UPLOAD) {
            UUID upload;
            try {
                upload = UUID.fromString(queued.item());
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().item(true);
            }
            hashes.forget(upload);
            deletion = store.deleteUpload(Distribution.uploadKey(queued.registry(), queued.item()));
        } else {
            deletion = store.deleteAll(queued.registry().toString());
        }
        return deletion.replaceWith(true).onFailure().recoverWithItem(failure -> {
            Log.warnf("Could not delete %s %s of registry %s (retried in %d s): %s", queued.kind(), queued.item(),
                    queued.registry(), RETRY_AFTER_SECONDS, failure.getMessage());
            return false;
        });
    }
}
