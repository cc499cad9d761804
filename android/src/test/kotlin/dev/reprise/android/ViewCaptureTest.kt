package dev.reprise.android

import android.app.Application
import android.os.Looper
import dev.reprise.NodeKind
import dev.reprise.PrivacyOverride
import dev.reprise.Reprise
import dev.reprise.RepriseConfig
import dev.reprise.ViewTree
import dev.reprise.android.capture.MapperRegistry
import dev.reprise.android.capture.ViewWalker
import dev.reprise.screenTree
import dev.reprise.start
import dev.reprise.toJson
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import java.nio.file.Files
import java.time.Duration

/** What the walker reads of the sample app's real views (no collector: the tree itself). */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class ViewCaptureTest {
    private val app = RuntimeEnvironment.getApplication() as Application
    private val reprise = Reprise.start(app, RepriseConfig(dataDir = Files.createTempDirectory("reprise-views").toFile().path))
    private val session = AndroidSession.current!!

    @After
    fun close() = reprise.close()

    private fun idle(ms: Long = 300) = shadowOf(Looper.getMainLooper()).idleFor(Duration.ofMillis(ms))

    private fun tree(): ViewTree {
        val metrics = app.resources.displayMetrics
        return ViewWalker(MapperRegistry(emptyList())).capture(WindowRoots { emptyList() }.roots(), metrics.widthPixels, metrics.heightPixels)
    }

    private fun ViewTree.classOf(i: Int) = classes[nodes[i].classIndex.toInt()]

    @Test
    fun `the activity's views map to their kinds, with privacy and scroll offsets`() {
        val activity = Robolectric.buildActivity(SampleActivity::class.java).setup().get()
        idle(600)
        assertNull("capture error", session.lastCaptureError)
        assertTrue("the scheduler captured on the new activity", session.captures >= 1)
        assertTrue("the capture read the activity (${session.lastTreeSize} nodes, ${session.captures} captures)", session.lastTreeSize > 50)
        activity.list.scrollTo(0, 700)
        val tree = tree()
        val byClass = tree.nodes.indices.groupBy { tree.classOf(it) }
        assertEquals("each class name once", tree.classes.size, tree.classes.toSet().size)
        val password = tree.nodes.single { it.flags.password }
        assertEquals(NodeKind.INPUT, password.kind)
        val button = tree.nodes[byClass.getValue("android.widget.Button").single()]
        assertEquals(NodeKind.BUTTON, button.kind)
        assertEquals(24f, button.cornerRadius)
        assertEquals(0xFF009688u, button.backgroundColor)
        assertEquals(NodeKind.IMAGE, tree.nodes[byClass.getValue("android.widget.ImageView").single()].kind)
        val scroll = tree.nodes[byClass.getValue("android.widget.ScrollView").single()]
        assertEquals(NodeKind.SCROLL, scroll.kind)
        assertEquals(700f, scroll.scrollY)
        // The hidden subtree: the container is a box, nothing below it was read.
        val hidden = tree.nodes.indexOfFirst { it.privacy == PrivacyOverride.HIDE }
        assertTrue(hidden > 0)
        assertTrue(tree.nodes.none { it.parent == hidden.toUInt() })
        assertTrue(tree.nodes.none { it.text == SampleActivity.HIDDEN_TEXT })
        val unmasked = tree.nodes.single { it.privacy == PrivacyOverride.UNMASK }
        assertEquals(SampleActivity.UNMASKED_TEXT, unmasked.text)
        // Rows below the scroll offset moved up by it, in screen coordinates.
        val rows = tree.nodes.filter { it.text?.startsWith(SampleActivity.ROW_PREFIX) == true }
        assertEquals(SampleActivity.ROWS, rows.size)
        val row10 = rows.single { it.text == "${SampleActivity.ROW_PREFIX}10" }
        val loc = IntArray(2)
        activity.list.getLocationOnScreen(loc)
        assertEquals(loc[1] + 10f * SampleActivity.ROW_HEIGHT - 700f, row10.bounds.top)
    }

    @Test
    fun `a dialog is a window above the activity, and an unknown custom view is a masked box`() {
        val activity = Robolectric.buildActivity(SampleActivity::class.java).setup().get()
        val custom = object : android.view.View(activity) {}
        custom.contentDescription = "the user's signature"
        (activity.hidden.parent as android.view.ViewGroup).addView(custom, 100, 100)
        activity.openDialog()
        idle()
        val tree = tree()
        val dialogButton = tree.nodes.indexOfFirst { it.text == SampleActivity.DIALOG_OK }
        val activityButton = tree.nodes.indexOfFirst { it.kind == NodeKind.BUTTON && it.text == SampleActivity.SIGN_IN }
        assertTrue("both buttons read ($activityButton, $dialogButton)", activityButton > 0 && dialogButton > 0)
        assertTrue("the dialog comes later in the tree: drawn above", dialogButton > activityButton)
        val windows = tree.nodes.indices.filter { tree.nodes[it].parent == 0u }
        assertEquals("two windows under the screen", 2, windows.size)
        val box = tree.nodes.single { it.contentDescription == "the user's signature" }
        assertEquals(NodeKind.OTHER, box.kind)
        assertEquals(PrivacyOverride.MASK, box.privacy)
        assertNull(session.lastCaptureError)
    }

    @Test
    fun `views carry their id names, toggle states, progress and elevation, raised views drawn last`() {
        val activity = Robolectric.buildActivity(SampleActivity::class.java).setup().get()
        val column = activity.hidden.parent as android.view.ViewGroup
        val agree = android.widget.CheckBox(activity).apply { text = "I agree"; isChecked = true }
        val bar = android.widget.ProgressBar(activity, null, android.R.attr.progressBarStyleHorizontal).apply {
            isIndeterminate = false
            max = 200
            progress = 50
        }
        val raised = android.widget.TextView(activity).apply { text = "raised"; elevation = 8f }
        column.addView(raised, 0, android.view.ViewGroup.LayoutParams(100, 40))
        column.addView(agree, 100, 40)
        column.addView(bar, 100, 10)
        activity.openDialog()
        idle()
        val tree = tree()
        // Framework ids have resource entry names; ids without a resource have none.
        assertEquals("content", tree.nodes.first { it.idName == "content" }.idName)
        val ok = tree.nodes.single { it.text == SampleActivity.DIALOG_OK }
        assertEquals("the dialog's positive button is android:id/button1", "button1", ok.idName)
        assertNull(tree.nodes.single { it.text == SampleActivity.SIGN_IN }.idName)
        assertEquals(true, tree.nodes.single { it.text == "I agree" }.checked)
        assertEquals(0.25f, tree.nodes.single { it.progress != null }.progress)
        // Added first, drawn last among its siblings: Android orders children by z.
        val raisedIndex = tree.nodes.indexOfFirst { it.text == "raised" }
        val siblings = tree.nodes.indices.filter { tree.nodes[it].parent == tree.nodes[raisedIndex].parent }
        assertEquals(raisedIndex, siblings.last())
        assertEquals(8f, tree.nodes[raisedIndex].elevation)
    }

    @Test
    fun `the tree the recorder would send feeds reprise preview`() {
        Robolectric.buildActivity(SampleActivity::class.java).setup()
        idle()
        val tree = Reprise.screenTree()!!
        assertTrue("the activity's views", tree.nodes.size > 50)
        // Masking happens in the core: the tree holds the text; the preview must not show it.
        assertTrue(tree.nodes.any { it.text == SampleActivity.SIGN_IN })
        val dir = Files.createTempDirectory("reprise-preview")
        val json = dir.resolve("screen.json").toFile().apply { writeText(tree.toJson()) }
        val png = dir.resolve("screen.png").toFile()
        val density = app.resources.displayMetrics.density.toString()
        val run = ProcessBuilder(System.getProperty("reprise.collector"), "preview", json.path, "--density", density, "--out", png.path)
            .redirectErrorStream(true).start()
        val output = run.inputStream.bufferedReader().readText()
        assertEquals(output, 0, run.waitFor())
        assertTrue(output, output.contains("as stored under mask All"))
        val image = javax.imageio.ImageIO.read(png)
        val metrics = app.resources.displayMetrics
        assertEquals("the screen's width in dp", Math.round(metrics.widthPixels / metrics.density), image.width)
    }

    /** An app's own view, read by the app's mapper. */
    class RatingView(context: android.content.Context) : android.view.View(context) {
        var stars = 4
    }

    @Test
    fun `an app's mapper reads its own view`() {
        val activity = Robolectric.buildActivity(SampleActivity::class.java).setup().get()
        (activity.hidden.parent as android.view.ViewGroup).addView(RatingView(activity), 100, 40)
        idle()
        val mapper = dev.reprise.android.capture.viewMapper<RatingView> { view, node ->
            node.kind = NodeKind.TEXT
            node.text = "${view.stars} stars"
        }
        val metrics = app.resources.displayMetrics
        val tree = ViewWalker(MapperRegistry(listOf(mapper))).capture(WindowRoots { emptyList() }.roots(), metrics.widthPixels, metrics.heightPixels)
        val rating = tree.nodes.single { tree.classes[it.classIndex.toInt()] == RatingView::class.java.name }
        assertEquals(NodeKind.TEXT, rating.kind)
        assertEquals("4 stars", rating.text)
        assertEquals("no fail-closed override on a mapped view", PrivacyOverride.INHERIT, rating.privacy)
    }

    @Test
    fun `the soft keyboard is a placeholder of its inset height above every window`() {
        Robolectric.buildActivity(SampleActivity::class.java).setup()
        idle()
        val ime = android.view.WindowInsets.Type.ime()
        val shown = android.view.WindowInsets.Builder().setInsets(ime, android.graphics.Insets.of(0, 0, 0, 800)).setVisible(ime, true).build()
        assertEquals(800, Keyboard.height(shown))
        val hidden = android.view.WindowInsets.Builder().setInsets(ime, android.graphics.Insets.of(0, 0, 0, 800)).setVisible(ime, false).build()
        assertEquals(0, Keyboard.height(hidden))
        val metrics = app.resources.displayMetrics
        val tree = ViewWalker(MapperRegistry(emptyList())).capture(WindowRoots { emptyList() }.roots(), metrics.widthPixels, metrics.heightPixels, 800)
        val keyboard = tree.nodes.last()
        assertEquals("android.inputmethodservice.SoftInputWindow", tree.classes[keyboard.classIndex.toInt()])
        assertEquals(0u, keyboard.parent)
        assertEquals(metrics.heightPixels - 800f, keyboard.bounds.top)
        assertEquals(800f, keyboard.bounds.height)
    }
}
