/// Character classification and simple case mapping with Go's `unicode` package semantics.
///
/// Go uses the *simple* (one rune to one rune) case mappings of UnicodeData.txt, so
/// `strings.ToUpper("ß")` stays "ß" where a full mapping would give "SS". Swift exposes the
/// full mappings; a full mapping that is a single scalar equals the simple one, and the few
/// code points whose full mapping expands but whose simple mapping still changes the rune are
/// listed explicitly below. The character database is the one bundled with the Swift runtime,
/// which may be a newer Unicode version than the Go release the reference used; only code
/// points assigned in between can classify differently.
enum GoUnicode {
    // MARK: Classification

    /// `unicode.IsSpace`.
    static func isSpace(_ r: UInt32) -> Bool {
        if r <= 0xFF {
            switch r {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0: return true
            default: return false
            }
        }
        guard let s = Unicode.Scalar(r) else { return false }
        return s.properties.isWhitespace
    }

    @inline(__always)
    private static func category(_ r: UInt32) -> Unicode.GeneralCategory? {
        Unicode.Scalar(r)?.properties.generalCategory
    }

    /// `unicode.IsLetter` (category L).
    static func isLetter(_ r: UInt32) -> Bool {
        if r < 0x80 {
            return (r >= 0x41 && r <= 0x5A) || (r >= 0x61 && r <= 0x7A)
        }
        switch category(r) {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// `unicode.IsDigit` (category Nd).
    static func isDigit(_ r: UInt32) -> Bool {
        if r < 0x80 { return r >= 0x30 && r <= 0x39 }
        return category(r) == .decimalNumber
    }

    /// `unicode.IsNumber` (category N).
    static func isNumber(_ r: UInt32) -> Bool {
        if r < 0x80 { return r >= 0x30 && r <= 0x39 }
        switch category(r) {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    /// `unicode.IsUpper` (category Lu).
    static func isUpper(_ r: UInt32) -> Bool {
        if r < 0x80 { return r >= 0x41 && r <= 0x5A }
        return category(r) == .uppercaseLetter
    }

    /// `unicode.IsLower` (category Ll).
    static func isLower(_ r: UInt32) -> Bool {
        if r < 0x80 { return r >= 0x61 && r <= 0x7A }
        return category(r) == .lowercaseLetter
    }

    /// `unicode.IsTitle` (category Lt).
    static func isTitle(_ r: UInt32) -> Bool {
        if r < 0x80 { return false }
        return category(r) == .titlecaseLetter
    }

    /// `unicode.IsPunct` (category P).
    static func isPunct(_ r: UInt32) -> Bool {
        switch category(r) {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// `unicode.IsPrint` / `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols
    /// and the ASCII space. Other spaces and all control/format characters are not printable.
    static func isPrint(_ r: UInt32) -> Bool {
        if r <= 0xFF {
            return (r >= 0x20 && r <= 0x7E) || (r >= 0xA1 && r <= 0xFF && r != 0xAD)
        }
        guard let c = category(r) else { return false }
        switch c {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber,
             .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    // MARK: Simple case mapping

    /// Code points whose full uppercase mapping is several runes but whose simple uppercase
    /// mapping is a different single rune (Greek letters with ypogegrammeni).
    private static let simpleUpperExceptions: [UInt32: UInt32] = {
        var table: [UInt32: UInt32] = [0x1FB3: 0x1FBC, 0x1FC3: 0x1FCC, 0x1FF3: 0x1FFC]
        for base: UInt32 in [0x1F80, 0x1F90, 0x1FA0] {
            for offset: UInt32 in 0..<8 {
                table[base + offset] = base + offset + 8
            }
        }
        return table
    }()

    /// `unicode.ToUpper`.
    static func toUpper(_ r: UInt32) -> UInt32 {
        if r < 0x80 {
            return (r >= 0x61 && r <= 0x7A) ? r - 0x20 : r
        }
        if let special = simpleUpperExceptions[r] { return special }
        guard let s = Unicode.Scalar(r) else { return r }
        return singleScalar(s.properties.uppercaseMapping) ?? r
    }

    /// `unicode.ToLower`.
    static func toLower(_ r: UInt32) -> UInt32 {
        if r < 0x80 {
            return (r >= 0x41 && r <= 0x5A) ? r + 0x20 : r
        }
        if r == 0x130 { return 0x69 }  // İ: full mapping is "i̇", simple mapping is "i".
        guard let s = Unicode.Scalar(r) else { return r }
        return singleScalar(s.properties.lowercaseMapping) ?? r
    }

    /// `unicode.ToTitle`.
    static func toTitle(_ r: UInt32) -> UInt32 {
        if r < 0x80 {
            return (r >= 0x61 && r <= 0x7A) ? r - 0x20 : r
        }
        if let special = simpleUpperExceptions[r] { return special }
        guard let s = Unicode.Scalar(r) else { return r }
        return singleScalar(s.properties.titlecaseMapping) ?? r
    }

    @inline(__always)
    private static func singleScalar(_ mapping: String) -> UInt32? {
        var iterator = mapping.unicodeScalars.makeIterator()
        guard let first = iterator.next(), iterator.next() == nil else { return nil }
        return first.value
    }

    // MARK: Case folding (regular expressions)

    /// A representative of the simple case-folding orbit of `r` (Go's `unicode.SimpleFold`
    /// equivalence): two runes match case-insensitively exactly when their keys are equal.
    static func foldKey(_ r: UInt32) -> UInt32 {
        if r < 0x80 {
            return (r >= 0x41 && r <= 0x5A) ? r + 0x20 : r
        }
        // Turkish dotted and dotless i fold only to themselves in Go.
        if r == 0x130 || r == 0x131 { return r }
        return toLower(toUpper(r))
    }

    /// Orbit members that the upper/lower/title mappings of the key cannot reach.
    private static let extraOrbitMembers: [UInt32: [UInt32]] = [
        0x6B: [0x212A],  // k: Kelvin sign
        0x73: [0x17F],  // s: long s
        0xE5: [0x212B],  // å: Angstrom sign
        0xDF: [0x1E9E],  // ß: capital sharp s
        0x3BC: [0xB5],  // μ: micro sign
        0x3B9: [0x345, 0x1FBE],  // ι: ypogegrammeni, prosgegrammeni
        0x3B2: [0x3D0], 0x3B5: [0x3F5], 0x3B8: [0x3D1, 0x3F4], 0x3BA: [0x3F0],
        0x3C0: [0x3D6], 0x3C1: [0x3F1], 0x3C3: [0x3C2], 0x3C6: [0x3D5], 0x3C9: [0x2126],
        0x432: [0x1C80], 0x434: [0x1C81], 0x43E: [0x1C82], 0x441: [0x1C83],
        0x442: [0x1C84, 0x1C85], 0x44A: [0x1C86], 0x463: [0x1C87], 0xA64B: [0x1C88],
        0x1E61: [0x1E9B],
    ]

    /// Every rune that folds to the same key as `r`, including `r`.
    static func foldOrbit(_ r: UInt32) -> [UInt32] {
        let key = foldKey(r)
        var members: [UInt32] = [r]
        func add(_ x: UInt32) {
            if !members.contains(x) && foldKey(x) == key { members.append(x) }
        }
        add(key)
        add(toUpper(key))
        add(toTitle(key))
        add(toUpper(r))
        add(toLower(r))
        add(toTitle(r))
        if let extra = extraOrbitMembers[key] {
            for x in extra { add(x) }
        }
        return members
    }
}
