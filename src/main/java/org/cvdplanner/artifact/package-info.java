/**
 * The kernel every trained thing shares: the artifact container (zip, SHA-256, library versions)
 * and the verified cache of deserialised artifacts. Plain Java, no Spring.
 */
package org.cvdplanner.artifact;
