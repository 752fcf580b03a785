/**
 * Proof that both stores hold the same bytes: sampled shadow reads on the live read path ({@link
 * io.docshift.shadow.ShadowReads}) and the offline walk behind {@code docshift verify} ({@link
 * io.docshift.shadow.Verify}).
 */
package io.docshift.shadow;
