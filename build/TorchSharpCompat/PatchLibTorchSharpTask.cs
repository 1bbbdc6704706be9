// MSBuild task (compiled by RoslynCodeTaskFactory) that makes TorchSharp 0.107 load on systems
// whose libstdc++ predates GCC 13. See TorchSharpCompat.targets for when it runs.
//
// libLibTorchSharp.so needs GLIBCXX_3.4.32 for exactly one symbol, std::ios_base_library_init().
// The patch, applied to the copy in the build output (never the NuGet cache):
//   1. marks the GLIBCXX_3.4.32 entry of .gnu.version_r weak (VER_FLG_WEAK), so the loader no
//      longer refuses the library when libstdc++ lacks that version;
//   2. clears the version of every dynamic symbol bound to that entry, so they bind unversioned;
//   3. adds a DT_NEEDED entry for a shim library (built from glibcxx_compat_shim.cpp) that defines
//      the symbol. The entry reuses the redundant DT_SYMBOLIC slot (DT_FLAGS carries DF_SYMBOLIC)
//      or a spare DT_NULL, and its name is written over the tail of DT_RUNPATH, which is cut
//      down to "$ORIGIN" (the rest are paths of TorchSharp's own build machine).
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class PatchLibTorchSharp : Task
{
    [Required] public string LibraryPath { get; set; } = "";
    [Required] public string ShimName { get; set; } = "";
    public string MissingVersion { get; set; } = "GLIBCXX_3.4.32";

    const uint ShtDynamic = 6, ShtDynsym = 11, ShtVerneed = 0x6ffffffe, ShtVersym = 0x6fffffff;
    const long DtNull = 0, DtNeeded = 1, DtRpath = 15, DtSymbolic = 16, DtFlags = 30, DtRunpath = 29;
    const ulong DfSymbolic = 0x2;
    const ushort VerFlgWeak = 0x2, VerNdxGlobal = 1;

    public override bool Execute()
    {
        try
        {
            var bytes = File.ReadAllBytes(LibraryPath);
            string outcome = Patch(bytes);
            if (outcome == "patched") File.WriteAllBytes(LibraryPath, bytes);
            Log.LogMessage(MessageImportance.High, $"TorchSharp compat: {Path.GetFileName(LibraryPath)} {outcome}");
            return true;
        }
        catch (InvalidDataException e)
        {
            Log.LogError($"TorchSharp compat: cannot patch {LibraryPath}: {e.Message}");
            return false;
        }
    }

    string Patch(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("only 64-bit little-endian ELF is supported");

        long shoff = I64(elf, 0x28);
        int shentsize = U16(elf, 0x3A), shnum = U16(elf, 0x3C);
        long verneedOff = -1, verneedSize = 0, versymOff = -1, dynsymOff = -1, dynsymSize = 0, dynamicOff = -1, dynamicSize = 0;
        int dynstrIndex = -1;
        for (int i = 0; i < shnum; i++)
        {
            long h = shoff + (long)i * shentsize;
            uint type = U32(elf, h + 4);
            long off = I64(elf, h + 0x18), size = I64(elf, h + 0x20);
            switch (type)
            {
                case ShtVerneed: verneedOff = off; verneedSize = size; break;
                case ShtVersym: versymOff = off; break;
                case ShtDynsym: dynsymOff = off; dynsymSize = size; dynstrIndex = (int)U32(elf, h + 0x28); break;
                case ShtDynamic: dynamicOff = off; dynamicSize = size; break;
            }
        }
        if (verneedOff < 0 || versymOff < 0 || dynsymOff < 0 || dynamicOff < 0 || dynstrIndex < 0)
            throw new InvalidDataException("missing .gnu.version_r, .gnu.version, .dynsym or .dynamic");
        long dynstrOff = I64(elf, shoff + (long)dynstrIndex * shentsize + 0x18);

        // 1. find the version requirement and make it weak
        int versionIndex = -1;
        bool alreadyWeak = false;
        long vn = verneedOff;
        while (true)
        {
            int cnt = U16(elf, vn + 2);
            long aux = vn + U32(elf, vn + 8);
            for (int a = 0; a < cnt; a++)
            {
                if (CString(elf, dynstrOff + U32(elf, aux + 8)) == MissingVersion)
                {
                    ushort flags = (ushort)U16(elf, aux + 4);
                    alreadyWeak = (flags & VerFlgWeak) != 0;
                    W16(elf, aux + 4, (ushort)(flags | VerFlgWeak));
                    versionIndex = U16(elf, aux + 6) & 0x7fff;
                }
                aux += U32(elf, aux + 12);
            }
            uint next = U32(elf, vn + 12);
            if (next == 0) break;
            vn += next;
        }

        // Idempotence: a library already carrying the shim as needed is done.
        bool hasShim = false;
        for (long d = dynamicOff; d < dynamicOff + dynamicSize; d += 16)
            if (I64(elf, d) == DtNeeded && CString(elf, dynstrOff + I64(elf, d + 8)) == ShimName) hasShim = true;
        if (hasShim) return "already patched";
        if (versionIndex < 0) return $"does not need {MissingVersion}; left as is";
        if (alreadyWeak) throw new InvalidDataException($"{MissingVersion} is weak but the shim is not needed");

        // 2. unversion the symbols bound to it
        long symbols = dynsymSize / 24;
        int cleared = 0;
        for (long s = 0; s < symbols; s++)
        {
            long vs = versymOff + s * 2;
            if ((U16(elf, vs) & 0x7fff) == versionIndex) { W16(elf, vs, VerNdxGlobal); cleared++; }
        }

        // 3. add DT_NEEDED for the shim
        long runpathEntry = -1, freeSlot = -1, nullCount = 0;
        bool flagsSymbolic = false;
        for (long d = dynamicOff; d < dynamicOff + dynamicSize; d += 16)
        {
            long tag = I64(elf, d);
            if (tag == DtRunpath || tag == DtRpath) runpathEntry = d;
            if (tag == DtFlags && (((ulong)I64(elf, d + 8)) & DfSymbolic) != 0) flagsSymbolic = true;
            if (tag == DtNull && ++nullCount == 2) freeSlot = d - 16; // the first of two NULLs is spare
        }
        if (freeSlot < 0 && flagsSymbolic)
            for (long d = dynamicOff; d < dynamicOff + dynamicSize; d += 16)
                if (I64(elf, d) == DtSymbolic) { freeSlot = d; break; }
        if (freeSlot < 0) throw new InvalidDataException("no free .dynamic slot for the shim's DT_NEEDED entry");
        if (runpathEntry < 0) throw new InvalidDataException("no DT_RUNPATH to carry the shim's name");

        long runpathStr = dynstrOff + I64(elf, runpathEntry + 8);
        string runpath = CString(elf, runpathStr);
        const string origin = "$ORIGIN";
        int needed = origin.Length + 1 + ShimName.Length + 1;
        if (!runpath.StartsWith(origin) || runpath.Length + 1 < needed)
            throw new InvalidDataException($"DT_RUNPATH '{runpath}' has no room for the shim name");
        var replacement = Encoding.ASCII.GetBytes(origin + "\0" + ShimName + "\0");
        Array.Clear(elf, (int)runpathStr, runpath.Length);
        Array.Copy(replacement, 0, elf, runpathStr, replacement.Length);
        W64(elf, freeSlot, DtNeeded);
        W64(elf, freeSlot + 8, I64(elf, runpathEntry + 8) + origin.Length + 1);
        Log.LogMessage(MessageImportance.Normal, $"TorchSharp compat: {MissingVersion} weak (index {versionIndex}), {cleared} symbol(s) unversioned, needs {ShimName}");
        return "patched";
    }

    static int U16(byte[] b, long o) => b[o] | (b[o + 1] << 8);
    static uint U32(byte[] b, long o) => BitConverter.ToUInt32(b, (int)o);
    static long I64(byte[] b, long o) => BitConverter.ToInt64(b, (int)o);
    static void W16(byte[] b, long o, ushort v) { b[o] = (byte)v; b[o + 1] = (byte)(v >> 8); }
    static void W64(byte[] b, long o, long v) => BitConverter.GetBytes(v).CopyTo(b, (int)o);
    static string CString(byte[] b, long o)
    {
        long e = o;
        while (e < b.Length && b[e] != 0) e++;
        return Encoding.ASCII.GetString(b, (int)o, (int)(e - o));
    }
}
