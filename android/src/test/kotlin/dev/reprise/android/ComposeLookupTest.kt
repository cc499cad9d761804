package dev.reprise.android

import android.app.Activity
import android.os.Looper
import android.view.ViewGroup.LayoutParams.MATCH_PARENT
import android.widget.FrameLayout
import android.widget.TextView
import androidx.compose.ui.platform.AndroidComposeView
import dev.reprise.EmbeddedTreeReader
import dev.reprise.NodeFlags
import dev.reprise.NodeKind
import dev.reprise.PrivacyOverride
import dev.reprise.PxRect
import dev.reprise.ViewNode
import dev.reprise.ViewTree
import dev.reprise.android.capture.ComposeViews
import dev.reprise.android.capture.MapperRegistry
import dev.reprise.android.capture.ViewWalker
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertSame
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config

/**
 * The Android half of Compose capture on real framework views: the semantics-owner lookup by
 * class name, its guard, and the walker handing the owner to the Compose reader under the view's
 * node. The Compose view is a stand-in of the same name (Compose for Android is not served here);
 * the reader is a recording one, since the real one (`ComposeTreeReader`) is tested on Compose desktop.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class ComposeLookupTest {
    private val activity = Robolectric.buildActivity(Activity::class.java).setup().get()

    /** What the reader was handed, and one node it appends under the view. */
    private class RecordingReader : EmbeddedTreeReader {
        val calls = ArrayList<Triple<Any, UInt, Pair<Float, Float>>>()
        var fail = false

        override fun append(owner: Any, parent: UInt, offsetX: Float, offsetY: Float, nodes: MutableList<ViewNode>, classIndex: (String) -> UInt): Boolean {
            calls += Triple(owner, parent, offsetX to offsetY)
            nodes += ViewNode(
                identity = 77u, parent = parent, kind = NodeKind.TEXT, classIndex = classIndex("compose:text"),
                bounds = PxRect(offsetX + 10f, offsetY + 20f, 100f, 40f),
                flags = NodeFlags(clickable = false, scrollable = false, focusable = false, enabled = true, visible = true, clipsChildren = false, password = false),
                alpha = 1f, backgroundColor = null, textColor = null, cornerRadius = 0f, fontSize = 0f, text = COMPOSE_TEXT,
                contentDescription = null, scrollX = 0f, scrollY = 0f, privacy = PrivacyOverride.INHERIT,
            )
            if (fail) throw IllegalStateException("the semantics tree changed under the reader")
            return true
        }
    }

    /** The activity showing a Compose view (with [owner]) beside a plain TextView. */
    private fun show(owner: Any?): AndroidComposeView {
        val compose = AndroidComposeView(activity, owner).apply { addView(TextView(activity).apply { text = INTEROP_TEXT }) }
        activity.setContentView(FrameLayout(activity).apply {
            setPadding(0, 120, 0, 0)
            addView(compose, MATCH_PARENT, 600)
            addView(TextView(activity).apply { text = "after" })
        })
        shadowOf(Looper.getMainLooper()).idle()
        return compose
    }

    private fun capture(reader: EmbeddedTreeReader?): ViewTree {
        val metrics = activity.resources.displayMetrics
        return ViewWalker(MapperRegistry(emptyList()), reader).capture(listOf(activity.window.decorView), metrics.widthPixels, metrics.heightPixels)
    }

    private fun ViewTree.indexOfClass(name: String) = nodes.indexOfFirst { classes[it.classIndex.toInt()] == name }

    @Test
    fun `a non-Compose view has no semantics owner`() {
        assertFalse(ComposeViews.isComposeView(TextView(activity)))
        assertNull(ComposeViews.semanticsOwner(TextView(activity)))
        assertNull("no Compose module on this classpath", ComposeViews.reader)
    }

    @Test
    fun `the walker hands the owner to the reader and puts its nodes under the Compose view`() {
        val owner = Any()
        val compose = show(owner)
        assertSame(owner, ComposeViews.semanticsOwner(compose))
        val reader = RecordingReader()
        val tree = capture(reader)
        val view = tree.indexOfClass(ComposeViews.VIEW_CLASS)
        val (handed, parent, offset) = reader.calls.single()
        assertSame(owner, handed)
        assertEquals(view.toUInt(), parent)
        val window = IntArray(2).also { activity.window.decorView.getLocationOnScreen(it) }
        assertEquals("window coordinates offset by the window's position", window[0].toFloat() to window[1].toFloat(), offset)
        val text = tree.nodes.indexOfFirst { it.text == COMPOSE_TEXT }
        assertEquals("right after the view, before its sibling", view + 1, text)
        assertEquals(view.toUInt(), tree.nodes[text].parent)
        assertTrue("the Compose view's own child views are not walked", tree.nodes.none { it.text == INTEROP_TEXT })
        assertTrue(tree.nodes.any { it.text == "after" })
        assertEquals(NodeKind.CONTAINER, tree.nodes[view].kind)
    }

    @Test
    fun `a refused lookup, a missing reader or a failing one leave a masked box with nothing read`() {
        fun assertMaskedBox(tree: ViewTree, why: String) {
            val view = tree.indexOfClass(ComposeViews.VIEW_CLASS)
            assertEquals(why, NodeKind.OTHER, tree.nodes[view].kind)
            assertEquals(why, PrivacyOverride.MASK, tree.nodes[view].privacy)
            assertTrue(why, tree.nodes.none { it.parent == view.toUInt() })
            assertTrue(why, tree.nodes.any { it.text == "after" })
        }
        val refusing = show(owner = null)
        assertNull("the getter threw", ComposeViews.semanticsOwner(refusing))
        val reader = RecordingReader()
        assertMaskedBox(capture(reader), "lookup refused")
        assertTrue("the reader is not asked", reader.calls.isEmpty())

        show(owner = Any())
        assertMaskedBox(capture(null), "no Compose module")
        val failing = RecordingReader().apply { fail = true }
        val tree = capture(failing)
        assertEquals(1, failing.calls.size)
        assertMaskedBox(tree, "the reader threw")
        assertTrue("what it appended before failing is dropped", tree.nodes.none { it.text == COMPOSE_TEXT })
    }

    private companion object {
        const val COMPOSE_TEXT = "Composed headline"
        const val INTEROP_TEXT = "interop child"
    }
}
