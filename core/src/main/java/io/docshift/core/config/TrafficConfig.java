package io.docshift.core.config;

/**
 * The {@code traffic.*} section: initial values only, used until the shared traffic state (which
 * operators change at run time) is first written.
 *
 * @param s3ReadPercent share of eligible reads served from S3, 0..100
 * @param writeMode where writes go
 * @param shadowPercent share of reads shadow-compared, 0..100
 */
public record TrafficConfig(int s3ReadPercent, WriteMode writeMode, int shadowPercent) {}
