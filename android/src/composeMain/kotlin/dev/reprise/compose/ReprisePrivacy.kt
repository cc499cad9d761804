package dev.reprise.compose

import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.SemanticsPropertyKey
import androidx.compose.ui.semantics.semantics
import dev.reprise.Privacy

/** The semantics property [reprisePrivacy] sets and [SemanticsCapture] reads. */
val ReprisePrivacyKey = SemanticsPropertyKey<Privacy>(
    name = "ReprisePrivacy",
    mergePolicy = { parent, _ -> parent },
)

/**
 * What Reprise records of this composable and everything inside it, whatever the session's mask
 * mode: `Text(iban, Modifier.reprisePrivacy(Privacy.HIDE))`. A semantics property: no effect on
 * layout, drawing or accessibility.
 */
fun Modifier.reprisePrivacy(privacy: Privacy): Modifier = semantics { this[ReprisePrivacyKey] = privacy }
