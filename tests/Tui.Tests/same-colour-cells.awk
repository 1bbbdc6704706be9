# Reads `tmux capture-pane -e -p` output and prints every character drawn with its foreground
# equal to its background (unreadable: the issue's grey-on-grey panes), as "row col 'c' colour".
# Exit status 1 when there is any. Tracks SGR colour state across the capture: 38/48;2;r;g;b,
# 38/48;5;n, 30-37/90-97 and 40-47/100-107, 39/49 and 0 (default).
BEGIN { fg = "default"; bg = "default"; bad = 0 }
{
    n = split($0, parts, "\033")
    col = 0
    for (p = 1; p <= n; p++) {
        text = parts[p]
        if (p > 1) {
            if (substr(text, 1, 1) != "[") continue
            end = index(text, "m")
            if (end == 0) continue
            sgr(substr(text, 2, end - 2))
            text = substr(text, end + 1)
        }
        # count characters, not bytes: skip UTF-8 continuation bytes
        len = length(text)
        for (i = 1; i <= len; i++) {
            c = substr(text, i, 1)
            if (c ~ /[\200-\277]/) continue
            col++
            if (fg != "default" && fg == bg) {
                bad++
                if (bad <= 20) printf "row %d col %d '%s' drawn %s on %s\n", NR, col, c, fg, bg
            }
        }
    }
}
END { if (bad > 0) { printf "%d cells drawn in their own background colour\n", bad; exit 1 } }

function sgr(params,    a, k, m) {
    if (params == "") { fg = "default"; bg = "default"; return }
    m = split(params, a, ";")
    for (k = 1; k <= m; k++) {
        if (a[k] == "0" || a[k] == "") { fg = "default"; bg = "default" }
        else if (a[k] == "38" && a[k+1] == "2") { fg = "rgb(" a[k+2] "," a[k+3] "," a[k+4] ")"; k += 4 }
        else if (a[k] == "48" && a[k+1] == "2") { bg = "rgb(" a[k+2] "," a[k+3] "," a[k+4] ")"; k += 4 }
        else if (a[k] == "38" && a[k+1] == "5") { fg = "idx" a[k+2]; k += 2 }
        else if (a[k] == "48" && a[k+1] == "5") { bg = "idx" a[k+2]; k += 2 }
        else if (a[k] >= 30 && a[k] <= 37) fg = "idx" (a[k] - 30)
        else if (a[k] >= 90 && a[k] <= 97) fg = "idx" (a[k] - 82)
        else if (a[k] >= 40 && a[k] <= 47) bg = "idx" (a[k] - 40)
        else if (a[k] >= 100 && a[k] <= 107) bg = "idx" (a[k] - 92)
        else if (a[k] == "39") fg = "default"
        else if (a[k] == "49") bg = "default"
    }
}
