package dev.reprise.android

import android.app.Activity
import android.app.AlertDialog
import android.graphics.Color
import android.graphics.drawable.GradientDrawable
import android.os.Bundle
import android.text.InputType
import android.view.ViewGroup.LayoutParams.MATCH_PARENT
import android.view.ViewGroup.LayoutParams.WRAP_CONTENT
import android.widget.Button
import android.widget.EditText
import android.widget.ImageView
import android.widget.LinearLayout
import android.widget.ScrollView
import android.widget.TextView
import android.widget.Toolbar
import dev.reprise.Privacy
import dev.reprise.reprisePrivacy

/**
 * The sample app of the Robolectric tests, built in code (no resources): a toolbar, a password
 * field, a Sign-in button, an image, a view marked HIDE, one marked UNMASK, and a ScrollView of
 * 50 rows below them.
 */
class SampleActivity : Activity() {
    lateinit var toolbar: Toolbar
    lateinit var password: EditText
    lateinit var signIn: Button
    lateinit var image: ImageView
    lateinit var hidden: LinearLayout
    lateinit var unmasked: TextView
    lateinit var list: ScrollView
    var clicks = 0
    var dialogClicks = 0

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val column = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL }
        toolbar = Toolbar(this).apply { title = TOOLBAR_TITLE; setBackgroundColor(0xFF3F51B5.toInt()) }
        column.addView(toolbar, MATCH_PARENT, 150)
        password = EditText(this).apply {
            id = ID_PASSWORD
            inputType = InputType.TYPE_CLASS_TEXT or InputType.TYPE_TEXT_VARIATION_PASSWORD
            setText(PASSWORD)
        }
        column.addView(password, MATCH_PARENT, 120)
        signIn = Button(this).apply {
            id = ID_SIGN_IN
            text = SIGN_IN
            background = GradientDrawable().apply { setColor(Color.rgb(0, 150, 136)); cornerRadius = 24f }
            setOnClickListener { clicks++ }
        }
        column.addView(signIn, MATCH_PARENT, 140)
        image = ImageView(this).apply { contentDescription = "avatar of $USER_NAME" }
        column.addView(image, 200, 200)
        hidden = LinearLayout(this).apply {
            reprisePrivacy = Privacy.HIDE
            addView(TextView(context).apply { text = HIDDEN_TEXT })
        }
        column.addView(hidden, MATCH_PARENT, 80)
        unmasked = TextView(this).apply { text = UNMASKED_TEXT; reprisePrivacy = Privacy.UNMASK; textSize = 18f }
        column.addView(unmasked, MATCH_PARENT, 80)
        list = ScrollView(this)
        val rows = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL }
        for (i in 0 until ROWS) rows.addView(TextView(this).apply { text = "$ROW_PREFIX$i" }, MATCH_PARENT, ROW_HEIGHT)
        list.addView(rows, MATCH_PARENT, WRAP_CONTENT)
        column.addView(list, LinearLayout.LayoutParams(MATCH_PARENT, 0, 1f))
        setContentView(column)
    }

    /** An alert dialog above the activity, with an unmasked OK button. */
    fun openDialog(): AlertDialog = AlertDialog.Builder(this)
        .setTitle("Delete draft?")
        .setPositiveButton(DIALOG_OK) { _, _ -> dialogClicks++ }
        .create()
        .apply {
            show()
            getButton(AlertDialog.BUTTON_POSITIVE).reprisePrivacy = Privacy.UNMASK
        }

    companion object {
        const val TOOLBAR_TITLE = "Inbox of Mallory"
        const val PASSWORD = "hunter2-correct-horse"
        const val SIGN_IN = "Sign in"
        const val USER_NAME = "Mallory Quintero"
        const val HIDDEN_TEXT = "IBAN DE89370400440532013000"
        const val UNMASKED_TEXT = "Public headline"
        const val ROW_PREFIX = "Private message "
        const val DIALOG_OK = "Confirm deletion"
        const val ROWS = 50
        const val ROW_HEIGHT = 100
        const val ID_PASSWORD = 0x7f0b0001
        const val ID_SIGN_IN = 0x7f0b0002
    }
}
