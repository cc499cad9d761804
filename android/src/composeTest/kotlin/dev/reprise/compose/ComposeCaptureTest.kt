package dev.reprise.compose

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.material.Button
import androidx.compose.material.Text
import androidx.compose.material.TextField
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performTouchInput
import androidx.compose.ui.test.runComposeUiTest
import androidx.compose.ui.test.swipeUp
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import dev.reprise.Collector
import dev.reprise.NodeKind
import dev.reprise.Platform
import dev.reprise.Privacy
import dev.reprise.PrivacyOverride
import dev.reprise.Reprise
import dev.reprise.RepriseConfig
import dev.reprise.SessionMetadata
import dev.reprise.UploadOptions
import dev.reprise.ViewTree
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.io.File
import kotlin.time.Duration.Companion.seconds

/**
 * A Compose screen on desktop Compose (the same semantics API as Android), mapped by
 * [SemanticsCapture] and recorded through the facade to the real collector.
 */
@OptIn(ExperimentalTestApi::class)
class ComposeCaptureTest {
    private val password = "correct-horse-battery"
    private val hiddenText = "IBAN DE89370400440532013000"
    private val publicText = "Public headline"
    private val rowPrefix = "Private message "

    @Test
    fun `a Compose screen maps to nodes with kinds, privacy and scroll offsets, and is recorded masked`(@TempDir dir: File) = runComposeUiTest {
        var clicks = 0
        setContent {
            Column {
                Text("Inbox of Mallory")
                Text(publicText, Modifier.reprisePrivacy(Privacy.UNMASK))
                Text(hiddenText, Modifier.reprisePrivacy(Privacy.HIDE))
                TextField(value = password, onValueChange = {}, visualTransformation = PasswordVisualTransformation())
                Button(onClick = { clicks++ }, modifier = Modifier.testTag("pay")) { Text("Pay now") }
                LazyColumn(Modifier.height(300.dp).testTag("list")) {
                    items(50) { i -> Text("$rowPrefix$i", Modifier.height(40.dp)) }
                }
            }
        }
        onNodeWithTag("pay").performClick()
        assertEquals(1, clicks)
        onNodeWithTag("list").performTouchInput { swipeUp() }
        waitForIdle()

        val tree: ViewTree = SemanticsCapture().capture(onRoot(useUnmergedTree = true).fetchSemanticsNode())
        val byText = tree.nodes.associateBy { it.text }
        assertEquals(NodeKind.BUTTON, tree.nodes.single { tree.classes[it.classIndex.toInt()] == "compose:pay" }.kind)
        val field = tree.nodes.single { it.kind == NodeKind.INPUT }
        assertTrue(field.flags.password, "the password field is flagged")
        assertEquals(PrivacyOverride.UNMASK, byText.getValue(publicText).privacy)
        val hidden = tree.nodes.single { it.privacy == PrivacyOverride.HIDE }
        assertEquals(null, hidden.text)
        val list = tree.nodes.single { tree.classes[it.classIndex.toInt()] == "compose:list" }
        assertEquals(NodeKind.SCROLL, list.kind)
        assertTrue(list.scrollY > 100f, "the swipe scrolled the list (${list.scrollY})")
        assertTrue(tree.nodes.none { it.text == "${rowPrefix}0" }, "the first row scrolled away")
        assertTrue(tree.nodes.any { it.text?.startsWith(rowPrefix) == true })

        Collector().use { collector ->
            val metadata = SessionMetadata(
                Platform.ANDROID, "Android", "15", "JetBrains", "Compose desktop", 800u, 600u, density.density,
                dev.reprise.Orientation.LANDSCAPE, "en-GB", "UTC", "dev.reprise.compose", "1.0", "1", "0.1.0", dev.reprise.NetworkType.WIFI,
            )
            val config = RepriseConfig(dir.path, upload = UploadOptions(collector.endpoint, collector.apiKey, initialBackoffMs = 100u))
            val session = Reprise.start(config, metadata).use { reprise ->
                reprise.screenView("ComposeInbox")
                reprise.snapshot(tree)
                assertEquals(0L, kotlinx.coroutines.runBlocking { reprise.flushAndUpload(20.seconds) })
                reprise.sessionId
            }
            val segments = collector.inspect(session).getJSONArray("sessions").getJSONObject(0).getJSONArray("segments")
            val everything = (0 until segments.length()).joinToString("\n") { segments.getJSONObject(it).toString() }
            assertTrue(everything.contains("\"Keyframe\""), "a keyframe stored")
            for (secret in listOf(password, hiddenText, rowPrefix.trim(), "Mallory", "Pay now")) {
                assertFalse(secret in everything, "'$secret' reached the collector")
            }
            assertTrue(publicText in everything, "the unmasked text is stored")
        }
    }

    @Test
    fun `the Android walker's reader appends the Compose tree under the view's node, in the walker's class list`() = runComposeUiTest {
        setContent {
            Column {
                Text(publicText, Modifier.reprisePrivacy(Privacy.UNMASK))
                Button(onClick = {}, modifier = Modifier.testTag("pay")) { Text("Pay now") }
            }
        }
        waitForIdle()
        val root = onRoot(useUnmergedTree = true).fetchSemanticsNode()
        // As the walker holds them: two nodes before (standing for the screen and the Compose
        // view, at index 1), and their classes.
        val classes = mutableListOf("android.view.View", "androidx.compose.ui.platform.AndroidComposeView")
        val nodes = SemanticsCapture().capture(root).nodes.take(2).toMutableList()
        val intern = { name: String -> classes.indexOf(name).takeIf { it >= 0 }?.toUInt() ?: (classes.size.toUInt().also { classes += name }) }
        assertFalse(ComposeTreeReader.append("not a semantics owner", 1u, 0f, 0f, nodes, intern), "an unknown owner is refused")
        assertEquals(2, nodes.size, "nothing appended for it")

        assertTrue(ComposeTreeReader.append(root, 1u, 30f, 400f, nodes, intern))
        val appended = nodes.drop(2)
        assertEquals(1u, appended.first().parent, "the compose root sits under the view's node")
        assertTrue(appended.drop(1).all { it.parent!! >= 2u }, "the rest under appended nodes")
        assertEquals(root.boundsInWindow.left + 30f, appended.first().bounds.left)
        assertEquals(root.boundsInWindow.top + 400f, appended.first().bounds.top)
        val pay = appended.single { classes[it.classIndex.toInt()] == "compose:pay" }
        assertEquals(NodeKind.BUTTON, pay.kind)
        assertEquals(PrivacyOverride.UNMASK, appended.single { it.text == publicText }.privacy)
        assertEquals("android.view.View", classes[0], "the walker's classes kept")
    }
}
