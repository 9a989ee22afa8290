package com.registryservice.registry;

import java.time.Instant;
import java.time.LocalTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.Formula;

/** A container registry as stored; never serialised to the wire (see {@code rest.RegistryMapper}). */
@Entity
@Table(name = "registry")
public class Registry {

    /** Lifecycle of a registry, as clients such as Terraform poll it. */
    public enum State {
        BUSY, RUNNING, FAILED
    }

    @Id
    public UUID id;

    /** The contract (customer account) the registry belongs to; every query is scoped to it. */
    public String contract;

    public String name;

    public String location;

    /** Set when provisioning finished; null while {@link State#BUSY}. */
    public String hostname;

    @Enumerated(EnumType.STRING)
    public State state;

    /** Days of the weekly GC schedule as a bit set; see {@code service.GcSchedule}. */
    @Column(name = "gc_days")
    public short gcDays;

    @Column(name = "gc_time")
    public LocalTime gcTime;

    @Column(name = "vulnerability_scanning")
    public boolean vulnerabilityScanning;

    /** Canonical CIDRs joined by ','; empty for no restriction. */
    @Column(name = "api_subnet_allow_list", columnDefinition = "text")
    public String apiSubnetAllowList;

    /** What the registry's content takes, as its last GC run measured it (GC owns the table); null before. */
    @Formula("(select s.bytes from storage_usage s where s.registry_id = id)")
    public Long storageBytes;

    @Formula("(select s.measured_at from storage_usage s where s.registry_id = id)")
    public Instant storageUpdatedAt;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_by_user_id")
    public String createdByUserId;

    @Column(name = "created_date")
    public Instant createdDate;

    @Column(name = "last_modified_by")
    public String lastModifiedBy;

    @Column(name = "last_modified_by_user_id")
    public String lastModifiedByUserId;

    @Column(name = "last_modified_date")
    public Instant lastModifiedDate;

    @Version
    public int version;
}
