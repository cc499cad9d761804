package dev.reprise.android.capture.mappers

import android.widget.ImageView
import dev.reprise.NodeKind
import dev.reprise.android.capture.CapturedNode
import dev.reprise.android.capture.ViewMapper

/** An image: a placeholder of its bounds (the core records no pixels by default). */
object ImageViewMapper : ViewMapper<ImageView> {
    override val viewClass = ImageView::class.java

    override fun map(view: ImageView, node: CapturedNode) {
        node.kind = NodeKind.IMAGE
    }
}
