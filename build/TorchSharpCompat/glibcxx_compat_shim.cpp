// Provides std::ios_base_library_init(), which GCC 13's libstdc++ exports as GLIBCXX_3.4.32 and
// which libLibTorchSharp.so (TorchSharp 0.107) references. Older libstdc++ (GCC 12, Debian 12)
// lacks it; the patched libLibTorchSharp.so lists this library as needed and binds to it instead.
// GCC 13 implements it by constructing the iostreams initializer, so we do the same.
#include <ios>

namespace std {
__attribute__((visibility("default"))) void ios_base_library_init()
{
    static ios_base::Init init;
}
}
