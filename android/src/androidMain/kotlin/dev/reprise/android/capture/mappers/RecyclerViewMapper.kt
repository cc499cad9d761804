package dev.reprise.android.capture.mappers

import android.view.View
import dev.reprise.NodeKind
import dev.reprise.android.capture.CapturedNode
import dev.reprise.android.capture.NamedViewMapper

/** androidx RecyclerView, by class name (no compile dependency): a scroll container, both axes. */
object RecyclerViewMapper : NamedViewMapper("androidx.recyclerview.widget.RecyclerView") {
    override fun map(view: View, node: CapturedNode) {
        node.kind = NodeKind.SCROLL
        node.scrollable = true
        node.scrollX = ScrollOffsets.horizontal(view)
        node.scrollY = ScrollOffsets.vertical(view)
    }
}
