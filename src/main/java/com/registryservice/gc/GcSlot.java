package com.registryservice.gc;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The next slot at which a registry's garbage collection is due, as stored; see {@link GcSlots}. */
@Entity
@Table(name = "gc_schedule")
public class GcSlot {

    @Id
    @Column(name = "registry_id")
    public UUID registryId;

    @Column(name = "next_run")
    public Instant nextRun;
}
