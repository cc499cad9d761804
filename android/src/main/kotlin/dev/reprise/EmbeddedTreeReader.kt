package dev.reprise

/**
 * Reads a UI toolkit drawn inside one platform view into the core's nodes under that view's
 * node: Jetpack Compose inside an `AndroidComposeView`, whose `SemanticsOwner` the Android walker
 * finds and hands over as [owner]. The Compose module implements it (`dev.reprise.compose.ComposeTreeReader`)
 * against `androidx.compose.ui.semantics`, which the Android layer does not compile against.
 */
interface EmbeddedTreeReader {
    /**
     * Appends the nodes of [owner] to [nodes], each parent before its children, the top one
     * under node index [parent]; window coordinates are offset by ([offsetX], [offsetY]), the
     * window's position on screen. [classIndex] gives the index of a class name in the tree's
     * class list. Returns false (having appended nothing) when [owner] is not one it reads.
     */
    fun append(owner: Any, parent: UInt, offsetX: Float, offsetY: Float, nodes: MutableList<ViewNode>, classIndex: (String) -> UInt): Boolean
}
