/**
 * Live traffic control: the shared state ({@link io.docshift.traffic.control.TrafficControlState}),
 * operator changes and resumes with an audit event each, and auto-revert wired to the traffic
 * ({@link io.docshift.traffic.control.TrafficControl}).
 */
package io.docshift.traffic.control;
