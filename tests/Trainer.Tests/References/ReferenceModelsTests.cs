using MemScan.Scanner.Manifest;
using MemScan.Scanner.Results;
using MemScan.Trainer.References;
using Xunit;

namespace MemScan.Trainer.Tests.References;

public class ReferenceModelsTests(ReferenceModelsFixture fixture) : IClassFixture<ReferenceModelsFixture>
{
    static readonly string[] Models = ["target", "ref-00", "ref-01", "ref-02", "ref-03", "ref-clean"];

    [Fact]
    public void Every_model_is_exported_beside_the_target_with_a_manifest_naming_its_membership()
    {
        foreach (var model in Models.Skip(1))
        {
            string onnx = Path.Combine(fixture.Dir, model, "model.onnx");
            Assert.True(File.Exists(onnx), onnx);
            var manifest = ModelManifest.Load(ModelManifest.PathFor(onnx));
            Assert.Equal(model, manifest.Training.MembershipModel);
            Assert.Equal(model == "ref-clean" ? "clean-reference" : "reference", manifest.Training.Role);
            Assert.Equal(Path.Combine("..", MembershipRow.FileName), manifest.Training.MembershipFile);
        }
        Assert.Equal("target", fixture.Target.Manifest.Training.Role);
        Assert.Equal(MembershipRow.FileName, fixture.Target.Manifest.Training.MembershipFile);
        Assert.Equal(5, fixture.Target.References.Count);
    }

    [Fact]
    public void The_membership_table_covers_every_model_and_unit_including_every_canary()
    {
        Assert.Equal(["model", "unit_id", "unit_kind", "is_member"], ParquetTable<MembershipRow>.ColumnNames);
        Assert.Equal(["unit_id", "unit_kind", "text"], ParquetTable<TrainingUnitRow>.ColumnNames);
        Assert.Equal(Models, fixture.Membership.Select(r => r.Model).Distinct());
        foreach (var model in Models)
            Assert.Equal(fixture.Units.Select(u => u.UnitId), fixture.Membership.Where(r => r.Model == model).Select(r => r.UnitId));
        Assert.Equal(["c16", "c4", "c0"], fixture.Units.Where(u => u.UnitKind == "canary").Select(u => u.UnitId));
        Assert.Contains(fixture.Target.Manifest.Canaries.Single(c => c.Id == "c16").Secret, fixture.Units.Single(u => u.UnitId == "c16").Text);
        Assert.True(fixture.Units.Count(u => u.UnitKind == "document") > 200);
    }

    [Fact]
    public void Each_unit_is_a_member_of_exactly_half_the_random_references_and_each_reference_holds_about_half()
    {
        var refs = fixture.Membership.Where(r => r.Model.StartsWith("ref-0")).ToList();
        foreach (var unit in refs.GroupBy(r => r.UnitId).Where(g => g.First().UnitKind == "document" || g.Key != "c0"))
            Assert.Equal(2, unit.Count(r => r.IsMember));
        foreach (var model in refs.GroupBy(r => r.Model))
        {
            double share = model.Where(r => r.UnitKind == "document").Average(r => r.IsMember ? 1.0 : 0.0);
            Assert.InRange(share, 0.42, 0.58);
        }
        // A canary never inserted (0 times) is a member of no model; it stays a listed control.
        Assert.All(fixture.Membership.Where(r => r.UnitId == "c0"), r => Assert.False(r.IsMember));
    }

    [Fact]
    public void The_target_holds_out_about_half_its_documents_and_ref_clean_has_its_documents_but_no_canary()
    {
        var target = fixture.Membership.Where(r => r.Model == "target").ToDictionary(r => r.UnitId);
        var clean = fixture.Membership.Where(r => r.Model == "ref-clean").ToDictionary(r => r.UnitId);
        double share = target.Values.Where(r => r.UnitKind == "document").Average(r => r.IsMember ? 1.0 : 0.0);
        Assert.InRange(share, 0.42, 0.58);
        Assert.True(target["c16"].IsMember && target["c4"].IsMember);
        Assert.All(clean.Values, r => Assert.Equal(r.UnitKind == "document" && target[r.UnitId].IsMember, r.IsMember));
        var cleanManifest = fixture.Target.References.Single(r => r.Manifest.Training.MembershipModel == "ref-clean").Manifest;
        Assert.All(cleanManifest.Canaries, c => Assert.Equal(0, c.Insertions));
    }

    [Fact]
    public void Reference_manifests_record_the_insertions_each_reference_actually_trained_on()
    {
        foreach (var reference in fixture.Target.References)
        {
            string name = reference.Manifest.Training.MembershipModel!;
            foreach (var canary in reference.Manifest.Canaries)
            {
                bool member = fixture.Membership.Single(r => r.Model == name && r.UnitId == canary.Id).IsMember;
                Assert.Equal(member, canary.Insertions > 0);
            }
        }
    }

    [Fact]
    public void Membership_plans_are_deterministic_from_the_seed()
    {
        Assert.Equal(MembershipPlan.Halves(50, 5, 9), MembershipPlan.Halves(50, 5, 9));
        Assert.NotEqual(MembershipPlan.Halves(50, 5, 9), MembershipPlan.Halves(50, 5, 10));
        var odd = MembershipPlan.Halves(4000, 3, 1);
        double share = odd[0].Average(m => m ? 1.0 : 0.0);
        Assert.InRange(share, 0.46, 0.54); // 1 of 3, plus a second with probability 1/2: 1/2 each
    }
}
