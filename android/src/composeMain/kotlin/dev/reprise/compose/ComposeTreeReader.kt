package dev.reprise.compose

import androidx.compose.ui.semantics.SemanticsNode
import androidx.compose.ui.semantics.SemanticsOwner
import dev.reprise.EmbeddedTreeReader
import dev.reprise.ViewNode

/**
 * The Compose content of an `AndroidComposeView`, for the Android walker: its `SemanticsOwner`'s
 * unmerged tree mapped by [SemanticsCapture] under the view's node. The walker finds this object
 * by name when the app has the Compose module. A [SemanticsNode] is read as the root too (desktop
 * Compose, where tests reach the tree through a node).
 */
object ComposeTreeReader : EmbeddedTreeReader {
    override fun append(
        owner: Any,
        parent: UInt,
        offsetX: Float,
        offsetY: Float,
        nodes: MutableList<ViewNode>,
        classIndex: (String) -> UInt,
    ): Boolean {
        val root = when (owner) {
            is SemanticsOwner -> owner.unmergedRootSemanticsNode
            is SemanticsNode -> owner
            else -> return false
        }
        SemanticsCapture().append(root, parent, offsetX, offsetY, nodes, classIndex)
        return true
    }
}
