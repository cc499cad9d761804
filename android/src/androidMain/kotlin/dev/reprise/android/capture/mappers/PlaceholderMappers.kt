package dev.reprise.android.capture.mappers

import android.view.SurfaceView
import android.view.TextureView
import android.view.View
import android.webkit.WebView
import dev.reprise.NodeKind
import dev.reprise.android.capture.CapturedNode
import dev.reprise.android.capture.NamedViewMapper
import dev.reprise.android.capture.ViewMapper

/** Web content: a placeholder; nothing inside a WebView is read. */
object WebViewMapper : ViewMapper<WebView> {
    override val viewClass = WebView::class.java

    override fun map(view: WebView, node: CapturedNode) = placeholder(node, NodeKind.WEB_VIEW)
}

/** Video, camera or game surfaces: placeholders (their pixels are not views). */
object SurfaceViewMapper : ViewMapper<SurfaceView> {
    override val viewClass = SurfaceView::class.java

    override fun map(view: SurfaceView, node: CapturedNode) = placeholder(node, NodeKind.OTHER)
}

/** Texture-backed content (video, maps, camera previews): a placeholder. */
object TextureViewMapper : ViewMapper<TextureView> {
    override val viewClass = TextureView::class.java

    override fun map(view: TextureView, node: CapturedNode) = placeholder(node, NodeKind.OTHER)
}

/** Google Maps' MapView, by class name: a placeholder (a map shows where the user is). */
object MapViewMapper : NamedViewMapper("com.google.android.gms.maps.MapView") {
    override fun map(view: View, node: CapturedNode) = placeholder(node, NodeKind.OTHER)
}

private fun placeholder(node: CapturedNode, kind: NodeKind) {
    node.kind = kind
    node.text = null
    node.contentDescription = null
    node.walkChildren = false
}
